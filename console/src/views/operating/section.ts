import { OfficeBuilding } from '@element-plus/icons-vue'
import type { Section } from '@/router/section'

const roles = ['operating_institution'] as const

/** The operating institution's pages (each a lazy import; the first, the stations it runs, is the home) and menu. */
const section: Section = {
  routes: [
    { path: 'operating', name: 'operating_institution-home', component: () => import('./StationsPage.vue'), meta: { roles, title: 'operating_institution.stations.title' } },
    { path: 'operating/stations/:id', name: 'operating_institution-requirements', component: () => import('./RequirementsPage.vue'), props: true, meta: { roles, title: 'operating_institution.requirements.title' } },
  ],
  menu: [
    { route: 'operating_institution-home', label: 'operating_institution.menu.stations', icon: OfficeBuilding },
  ],
}

export default section
