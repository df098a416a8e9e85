import { Connection, List, Monitor, OfficeBuilding, Shop, Tickets, Warning } from '@element-plus/icons-vue'
import { INBOX, type Section } from '@/router/section'
import type { Role } from '@/composables/useSession'

const roles: Role[] = ['institution']

/** The institution's pages (each a lazy import; the first is the home) and menu. */
const section: Section = {
  routes: [
    { path: 'institution', name: 'institution-home', component: () => import('./InstitutionHome.vue'), meta: { roles, title: 'institution.list.title' } },
    { path: 'institution/assignments/:id', name: 'institution-assignment', component: () => import('./AssignmentPage.vue'), props: true, meta: { roles, title: 'institution.assignment.request' } },
    { path: 'institution/profile', name: 'institution-profile', component: () => import('./ProfilePage.vue'), meta: { roles, title: 'institution.profile.title' } },
    { path: 'institution/webhook', name: 'institution-webhook', component: () => import('./WebhookPage.vue'), meta: { roles, title: 'institution.webhook.title' } },
    { path: 'institution/events', name: 'institution-events', component: () => import('./EventsPage.vue'), meta: { roles, title: 'institution.events.title' } },
    { path: 'institution/instruments', name: 'institution-instruments', component: () => import('./InstrumentsPage.vue'), meta: { roles, title: 'institution.sharing.title' } },
    { path: 'institution/complaints', name: 'institution-complaints', component: () => import('./ComplaintsPage.vue'), meta: { roles, title: 'institution.complaints.title' } },
    { path: 'institution/hall', name: 'institution-hall', component: () => import('./HallPage.vue'), meta: { roles, title: 'institution.hall.title' } },
  ],
  menu: [
    { route: 'institution-home', label: 'institution.menu.offers', icon: List },
    { route: 'institution-hall', label: 'institution.menu.hall', icon: Shop },
    { route: 'institution-profile', label: 'institution.menu.profile', icon: OfficeBuilding },
    { route: 'institution-webhook', label: 'institution.menu.webhook', icon: Connection },
    { route: 'institution-events', label: 'institution.menu.events', icon: Tickets },
    { route: 'institution-complaints', label: 'institution.menu.complaints', icon: Warning },
    { route: 'institution-instruments', label: 'institution.sharing.menu', icon: Monitor },
    INBOX,
  ],
}

export default section
