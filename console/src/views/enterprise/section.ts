import { HomeFilled } from '@element-plus/icons-vue'
import { INBOX, type Section } from '@/router/section'

/** The enterprise's pages (each a lazy import; the first is the home) and menu. */
const section: Section = {
  routes: [
    { path: 'enterprise', name: 'enterprise-home', component: () => import('./EnterpriseHome.vue'), meta: { roles: ['enterprise'], title: 'enterprise.home.title' } },
  ],
  menu: [{ route: 'enterprise-home', label: 'menu.home', icon: HomeFilled }, INBOX],
}

export default section
