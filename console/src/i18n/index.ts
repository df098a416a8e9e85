import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN'
import en from './en'

/** Every message tree must have the shape of the Chinese one (strings may differ). */
type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> }
export type Messages = Shape<typeof zhCN>

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]

/** The language choice is kept (it is not a secret); tokens never are. */
const STORAGE_KEY = 'onestop.locale'

function remembered(): Locale {
  try {
    const kept = localStorage.getItem(STORAGE_KEY)
    return (LOCALES as readonly string[]).includes(kept ?? '') ? (kept as Locale) : 'zh-CN'
  } catch {
    return 'zh-CN'
  }
}

export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: remembered(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
})

export function currentLocale(): Locale {
  return i18n.global.locale.value
}

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    // private mode: the choice lasts for this page only
  }
}
