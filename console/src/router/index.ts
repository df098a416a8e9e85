import { createRouter, createWebHistory, type RouteLocationRaw, type RouteRecordRaw } from 'vue-router'
import { useSession, type Pending } from '@/composables/useSession'
import { INBOX_ROLES } from '@/composables/useNotifications'
import { i18n } from '@/i18n'
import type { Role } from '@/composables/useSession'
import { SECTIONS, homeOf } from './sections'
import { REPORT_ROLES } from './section'

/** Where each step the person must take first is done. */
export const PENDING_PAGES: Record<Pending, string> = {
  password_change: 'password-change',
  second_factor_setup: 'second-factor-setup',
  verification: 'verification-waiting',
}

const routes: RouteRecordRaw[] = [
  { path: '/sign-in', name: 'sign-in', component: () => import('@/views/public/SignInPage.vue'), meta: { public: true, title: 'signIn.title' } },
  { path: '/register/:kind(enterprise|institution)', name: 'registration', component: () => import('@/views/public/RegistrationPage.vue'), props: true, meta: { public: true, title: 'registration.enterpriseTitle' } },
  { path: '/account/password', name: 'password-change', component: () => import('@/views/account/PasswordChangePage.vue'), meta: { pending: 'password_change', title: 'passwordChange.title' } },
  { path: '/account/second-factor', name: 'second-factor-setup', component: () => import('@/views/account/SecondFactorSetupPage.vue'), meta: { pending: 'second_factor_setup', title: 'secondFactor.title' } },
  { path: '/account/waiting', name: 'verification-waiting', component: () => import('@/views/account/VerificationWaitingPage.vue'), meta: { pending: 'verification', title: 'waiting.title' } },
  {
    path: '/',
    component: () => import('@/layouts/ConsoleLayout.vue'),
    children: [
      { path: '', name: 'home', redirect: () => home() },
      { path: 'inbox', name: 'inbox', component: () => import('@/views/InboxPage.vue'), meta: { roles: INBOX_ROLES as Role[], title: 'inbox.title' } },
      { path: 'reports', name: 'reports', component: () => import('@/views/ReportsPage.vue'), meta: { roles: [...REPORT_ROLES], title: 'reports.title' } },
      ...Object.values(SECTIONS).flatMap((section) => section.routes),
      { path: ':path(.*)*', name: 'not-found', component: () => import('@/views/NotFoundPage.vue'), meta: { title: 'notFound.title' } },
    ],
  },
]

/** The signed-in person's home: their acting role's, or the step they must take first. */
export function home(): RouteLocationRaw {
  const session = useSession()
  if (!session.signedIn.value) return { name: 'sign-in' }
  if (session.pending.value) return { name: PENDING_PAGES[session.pending.value] }
  return session.role.value ? { name: homeOf(session.role.value) } : { name: 'verification-waiting' }
}

export const router = createRouter({ history: createWebHistory(import.meta.env.BASE_URL), routes })

router.beforeEach(async (to) => {
  const session = useSession()
  await session.restore()
  if (to.meta.public) return to.name === 'sign-in' && session.signedIn.value ? home() : true
  if (!session.signedIn.value) {
    return { name: 'sign-in', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  }
  const pending = session.pending.value
  // A step to take first opens only its own page; the page of a step not pending, only home.
  // A person with no role at all (nothing to act for yet) waits too.
  if (to.meta.pending) return to.meta.pending === pending || (!pending && !session.role.value) ? true : home()
  if (pending || !session.role.value) return home()
  const allowed = to.meta.roles
  if (allowed && !allowed.includes(session.role.value)) {
    // Another role of the person's may open it: act in that one.
    const other = session.roles.value.find((role) => allowed.includes(role))
    if (!other) return home()
    session.chooseRole(other)
  }
  return true
})

router.afterEach((to) => {
  const title = i18n.global.t('app.title')
  document.title = to.meta.title ? `${i18n.global.t(to.meta.title)} - ${title}` : title
})
