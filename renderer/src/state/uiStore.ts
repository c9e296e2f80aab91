// UI preferences (language, operator name, muted cue) per workstation in localStorage, and the current view,
// which is the path: /wall, /wall/<camera> (its detail), /alerts, /pipeline, /keys, /settings.
import { useCallback } from 'react';
import { create } from 'zustand';
import { initialLocale, translate, type Locale, type MessageKey } from '../i18n/messages.js';

export const VIEWS = ['wall', 'alerts', 'pipeline', 'keys', 'settings'] as const;
export type View = (typeof VIEWS)[number];

const LOCALE_STORAGE_KEY = 'tcr.locale';
const OPERATOR_STORAGE_KEY = 'tcr.operator';
const MUTED_STORAGE_KEY = 'tcr.muted';

export function viewOfPath(pathname: string): View {
  const name = pathname.replace(/^\/+/, '').split('/')[0];
  return (VIEWS as readonly string[]).includes(name ?? '') ? (name as View) : 'wall';
}

/** The camera of /wall/<camera>, or null. */
export function cameraOfPath(pathname: string): string | null {
  const match = /^\/wall\/([^/]+)\/?$/.exec(pathname);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
}

interface UiState {
  locale: Locale;
  view: View;
  detailCamera: string | null;
  operator: string;
  muted: boolean;
  setLocale(locale: Locale): void;
  setView(view: View): void;
  openCamera(cameraId: string | null): void;
  followPath(pathname: string): void;
  setOperator(operator: string): void;
  setMuted(muted: boolean): void;
}

const go = (path: string): void => {
  if (window.location.pathname !== path) history.pushState(null, '', path);
};

export const useUiStore = create<UiState>((set) => ({
  locale: initialLocale(localStorage.getItem(LOCALE_STORAGE_KEY), navigator.languages),
  view: viewOfPath(window.location.pathname),
  detailCamera: cameraOfPath(window.location.pathname),
  operator: localStorage.getItem(OPERATOR_STORAGE_KEY) ?? '',
  muted: localStorage.getItem(MUTED_STORAGE_KEY) === 'true',
  setLocale: (locale) => {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
    document.documentElement.lang = locale;
    set({ locale });
  },
  setView: (view) => {
    go(`/${view}`);
    set({ view, detailCamera: null });
  },
  openCamera: (cameraId) => {
    go(cameraId === null ? '/wall' : `/wall/${encodeURIComponent(cameraId)}`);
    set({ view: 'wall', detailCamera: cameraId });
  },
  followPath: (pathname) => set({ view: viewOfPath(pathname), detailCamera: cameraOfPath(pathname) }),
  setOperator: (operator) => {
    localStorage.setItem(OPERATOR_STORAGE_KEY, operator);
    set({ operator });
  },
  setMuted: (muted) => {
    localStorage.setItem(MUTED_STORAGE_KEY, String(muted));
    set({ muted });
  },
}));

/** The message table of the operator's language, for components; the same function until the language changes. */
export function useT(): (key: MessageKey) => string {
  const locale = useUiStore((state) => state.locale);
  return useCallback((key: MessageKey) => translate(locale, key), [locale]);
}
