import { Connection, DataLine, Document, HomeFilled, OfficeBuilding, School, Share, WarningFilled } from '@element-plus/icons-vue'
import type { Section } from '@/router/section'
import type { Role } from '@/composables/useSession'

const meta = (title: string) => ({ roles: ['operator'] as Role[], title })

/** The operator's pages (each a lazy import; the first is the home) and menu. */
const section: Section = {
  routes: [
    { path: 'operator', name: 'operator-home', component: () => import('./OperatorHome.vue'), meta: meta('operator.home.title') },
    { path: 'operator/stations', name: 'operator-stations', component: () => import('./StationsPage.vue'), meta: meta('operator.stations.title') },
    { path: 'operator/stations/new', name: 'operator-station-new', component: () => import('./StationRegistrationPage.vue'), meta: meta('operator.stationForm.title') },
    { path: 'operator/stations/:id', name: 'operator-station', component: () => import('./StationPage.vue'), props: true, meta: meta('operator.stations.title') },
    { path: 'operator/organisations', name: 'operator-organisations', component: () => import('./OrganisationsPage.vue'), meta: meta('operator.organisations.title') },
    { path: 'operator/agencies', name: 'operator-agencies', component: () => import('./OrganisationsPage.vue'), props: { agencies: true }, meta: meta('operator.organisations.agenciesTitle') },
    { path: 'operator/organisations/:id', name: 'operator-organisation', component: () => import('./OrganisationPage.vue'), props: true, meta: meta('operator.organisations.title') },
    { path: 'operator/persons/:id', name: 'operator-person', component: () => import('./PersonPage.vue'), props: true, meta: meta('operator.organisations.title') },
    { path: 'operator/dead-letters', name: 'operator-dead-letters', component: () => import('./DeadLettersPage.vue'), meta: meta('operator.deadLetters.title') },
    { path: 'operator/audit', name: 'operator-audit', component: () => import('./AuditPage.vue'), meta: meta('operator.audit.title') },
    { path: 'operator/partners', name: 'operator-partners', component: () => import('./PartnersHelpPage.vue'), meta: meta('operator.partners.title') },
    { path: 'operator/dashboards', name: 'operator-dashboards', component: () => import('./DashboardsPage.vue'), meta: meta('operator.dashboards.title') },
  ],
  menu: [
    { route: 'operator-home', label: 'menu.home', icon: HomeFilled },
    { route: 'operator-stations', label: 'operator.menu.stations', icon: OfficeBuilding },
    { route: 'operator-organisations', label: 'operator.menu.organisations', icon: School },
    { route: 'operator-agencies', label: 'operator.menu.agencies', icon: Connection },
    { route: 'operator-dead-letters', label: 'operator.menu.deadLetters', icon: WarningFilled },
    { route: 'operator-audit', label: 'operator.menu.audit', icon: Document },
    { route: 'operator-partners', label: 'operator.menu.partners', icon: Share },
    { route: 'operator-dashboards', label: 'operator.menu.dashboards', icon: DataLine },
  ],
}

export default section
