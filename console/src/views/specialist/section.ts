import { HomeFilled } from '@element-plus/icons-vue'
import { INBOX, type Section } from '@/router/section'

/** The specialist's pages (each a lazy import; the first is the home) and menu. */
const section: Section = {
  routes: [
    { path: 'specialist', name: 'specialist-home', component: () => import('./SpecialistHome.vue'), meta: { roles: ['specialist'], title: 'specialist.home.title' } },
  ],
  menu: [{ route: 'specialist-home', label: 'menu.home', icon: HomeFilled }, INBOX],
}

export default section
