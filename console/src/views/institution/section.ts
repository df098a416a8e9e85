import { HomeFilled } from '@element-plus/icons-vue'
import { INBOX, type Section } from '@/router/section'

/** The institution's pages (each a lazy import; the first is the home) and menu. */
const section: Section = {
  routes: [
    { path: 'institution', name: 'institution-home', component: () => import('./InstitutionHome.vue'), meta: { roles: ['institution'], title: 'institution.home.title' } },
  ],
  menu: [{ route: 'institution-home', label: 'menu.home', icon: HomeFilled }, INBOX],
}

export default section
