import { Checked, DocumentChecked, EditPen, List, Odometer, OfficeBuilding, PhoneFilled, Setting } from '@element-plus/icons-vue'
import { INBOX, REPORTS, type Section } from '@/router/section'

const roles = ['specialist' as const]

/** The specialist's pages (each a lazy import; the first, the queue, is the home) and menu. */
const section: Section = {
  routes: [
    { path: 'specialist', name: 'specialist-home', component: () => import('./QueuePage.vue'), meta: { roles, title: 'specialist.queue.title' } },
    { path: 'specialist/demands/new', name: 'specialist-window', component: () => import('./WindowDemandPage.vue'), meta: { roles, title: 'specialist.window.title' } },
    { path: 'specialist/demands/:id', name: 'specialist-demand', component: () => import('./DemandPage.vue'), props: true, meta: { roles, title: 'specialist.demand.title' } },
    { path: 'specialist/revisits', name: 'specialist-revisits', component: () => import('./RevisitsPage.vue'), meta: { roles, title: 'specialist.revisits.title' } },
    { path: 'specialist/institutions', name: 'specialist-institutions', component: () => import('./InstitutionsPage.vue'), meta: { roles, title: 'specialist.directory.title' } },
    { path: 'specialist/institutions/new', name: 'specialist-onboarding', component: () => import('./OnboardingPage.vue'), meta: { roles, title: 'specialist.onboard.title' } },
    { path: 'specialist/enterprises', name: 'specialist-enterprises', component: () => import('./EnterprisesPage.vue'), meta: { roles, title: 'specialist.enterprises.title' } },
    { path: 'specialist/instruments', name: 'specialist-instruments', component: () => import('./InstrumentRegistersPage.vue'), meta: { roles, title: 'metrology.staff.title' } },
    { path: 'specialist/station', name: 'specialist-station', component: () => import('./StationPage.vue'), meta: { roles, title: 'specialist.station.title' } },
    { path: 'specialist/requirements', name: 'specialist-requirements', component: () => import('./RequirementsPage.vue'), meta: { roles, title: 'specialist.requirements.title' } },
  ],
  menu: [
    { route: 'specialist-home', label: 'specialist.menu.queue', icon: List },
    { route: 'specialist-window', label: 'specialist.menu.window', icon: EditPen },
    { route: 'specialist-revisits', label: 'specialist.menu.revisits', icon: PhoneFilled },
    { route: 'specialist-institutions', label: 'specialist.menu.institutions', icon: OfficeBuilding },
    { route: 'specialist-enterprises', label: 'specialist.menu.enterprises', icon: Checked },
    { route: 'specialist-instruments', label: 'metrology.menu', icon: Odometer },
    { route: 'specialist-station', label: 'specialist.menu.station', icon: Setting },
    REPORTS,
    { route: 'specialist-requirements', label: 'specialist.menu.requirements', icon: DocumentChecked },
    INBOX,
  ],
}

export default section
