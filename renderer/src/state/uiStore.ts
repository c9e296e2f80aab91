// UI preferences (language, operator name) per workstation in localStorage, and the current view, which is the path.
import { create } from 'zustand';
import { initialLocale, translate, type Locale, type MessageKey } from '../i18n/messages.js';

export const VIEWS = ['wall', 'alerts', 'pipeline', 'keys', 'settings'] as const;
export type View = (typeof VIEWS)[number];

const LOCALE_STORAGE_KEY = 'tcr.locale';
const OPERATOR_STORAGE_KEY = 'tcr.operator';

export function viewOfPath(pathname: string): View {
  const name = pathname.replace(/^\/+/, '').split('/')[0];
  return (VIEWS as readonly string[]).includes(name ?? '') ? (name as View) : 'wall';
}

interface UiState {
  locale: Locale;
  view: View;
  operator: string;
  setLocale(locale: Locale): void;
  setView(view: View): void;
  setOperator(operator: string): void;
}

export const useUiStore = create<UiState>((set) => ({
  locale: initialLocale(localStorage.getItem(LOCALE_STORAGE_KEY), navigator.languages),
  view: viewOfPath(window.location.pathname),
  operator: localStorage.getItem(OPERATOR_STORAGE_KEY) ?? '',
  setLocale: (locale) => {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
    document.documentElement.lang = locale;
    set({ locale });
  },
  setView: (view) => {
    if (window.location.pathname !== `/${view}`) history.pushState(null, '', `/${view}`);
    set({ view });
  },
  setOperator: (operator) => {
    localStorage.setItem(OPERATOR_STORAGE_KEY, operator);
    set({ operator });
  },
}));

/** The message table of the operator's language, for components. */
export function useT(): (key: MessageKey) => string {
  const locale = useUiStore((state) => state.locale);
  return (key) => translate(locale, key);
}
