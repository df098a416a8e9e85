import { createI18n } from 'vue-i18n'
import type { Shape } from './shape'
import common from './zh-CN'
import commonEn from './en'
import enterprise from '@/views/enterprise/messages'
import institution from '@/views/institution/messages'
import specialist from '@/views/specialist/messages'
import supervisor from '@/views/supervisor/messages'
import operator from '@/views/operator/messages'
import operating_institution from '@/views/operating/messages'
import metrology from '@/views/metrology/messages'
import projects from '@/components/projects/messages'
import demandForm from '@/components/demand/messages'

/** Each role's words live with its views, under the role's name; the words of pages several
 * roles share live under their own name (metrology's register, `projects`: a demand's work, and
 * `demandForm`: a demand's form). */
export const SECTION_MESSAGES = { enterprise, institution, specialist, supervisor, operator, operating_institution, metrology, projects, demandForm }
type Sections = typeof SECTION_MESSAGES

function merged<L extends 'zh-CN' | 'en'>(locale: L) {
  return Object.fromEntries(Object.entries(SECTION_MESSAGES).map(([role, both]) => [role, both[locale]])) as {
    [R in keyof Sections]: Sections[R][L]
  }
}

export const zhCN = { ...common, ...merged('zh-CN') }
export const en = { ...commonEn, ...merged('en') }

/** Every message tree must have the shape of the Chinese one (strings may differ). */
export type Messages = Shape<typeof zhCN>
/** The common words' shape, which en.ts has. */
export type CommonMessages = Shape<typeof common>

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
