import { Document, EditPen, HomeFilled, Monitor, Odometer, Warning } from '@element-plus/icons-vue'
import { INBOX, REPORTS, type Section } from '@/router/section'
import type { Role } from '@/composables/useSession'

const roles: readonly Role[] = ['enterprise']

/** The enterprise's pages (each a lazy import; the first is the home) and menu. */
const section: Section = {
  routes: [
    { path: 'enterprise', name: 'enterprise-home', component: () => import('./EnterpriseHome.vue'), meta: { roles, title: 'enterprise.home.title' } },
    { path: 'enterprise/demands', name: 'enterprise-demands', component: () => import('./DemandListPage.vue'), meta: { roles, title: 'enterprise.demands.title' } },
    { path: 'enterprise/demands/new', name: 'enterprise-demand-new', component: () => import('./DemandSubmitPage.vue'), meta: { roles, title: 'enterprise.form.title' } },
    { path: 'enterprise/demands/:id', name: 'enterprise-demand', component: () => import('./DemandCasePage.vue'), props: true, meta: { roles, title: 'enterprise.case.title' } },
    { path: 'enterprise/shared-instruments', name: 'enterprise-shared-instruments', component: () => import('./SharedInstrumentsPage.vue'), meta: { roles, title: 'enterprise.sharing.title' } },
    { path: 'enterprise/shared-instruments/:id', name: 'enterprise-shared-instrument', component: () => import('./InstrumentBookingPage.vue'), props: true, meta: { roles, title: 'enterprise.sharing.title' } },
    { path: 'enterprise/complaints', name: 'enterprise-complaints', component: () => import('./ComplaintListPage.vue'), meta: { roles, title: 'enterprise.complaints.title' } },
    { path: 'enterprise/instruments', name: 'enterprise-instruments', component: () => import('./InstrumentRegisterPage.vue'), meta: { roles, title: 'metrology.title' } },
    { path: 'enterprise/complaints/:id', name: 'enterprise-complaint', component: () => import('./ComplaintCasePage.vue'), props: true, meta: { roles, title: 'enterprise.complaintCase.title' } },
  ],
  menu: [
    { route: 'enterprise-home', label: 'menu.home', icon: HomeFilled },
    { route: 'enterprise-demands', label: 'enterprise.menu.demands', icon: Document },
    { route: 'enterprise-demand-new', label: 'enterprise.menu.submit', icon: EditPen },
    { route: 'enterprise-complaints', label: 'enterprise.menu.complaints', icon: Warning },
    { route: 'enterprise-shared-instruments', label: 'enterprise.sharing.menu', icon: Monitor },
    { route: 'enterprise-instruments', label: 'metrology.menu', icon: Odometer },
    REPORTS,
    INBOX,
  ],
}

export default section
