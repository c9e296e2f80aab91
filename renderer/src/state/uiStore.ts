// UI preferences (language, current view), persisted per workstation in localStorage.
import { create } from 'zustand';
import { initialLocale, type Locale } from '../i18n/messages.js';

export const VIEWS = ['cameras', 'alerts', 'pipeline', 'keys', 'settings'] as const;
export type View = (typeof VIEWS)[number];

const LOCALE_STORAGE_KEY = 'tcr.locale';

interface UiState {
  locale: Locale;
  view: View;
  setLocale(locale: Locale): void;
  setView(view: View): void;
}

export const useUiStore = create<UiState>((set) => ({
  locale: initialLocale(localStorage.getItem(LOCALE_STORAGE_KEY), navigator.languages),
  view: 'cameras',
  setLocale: (locale) => {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
    document.documentElement.lang = locale;
    set({ locale });
  },
  setView: (view) => set({ view }),
}));
