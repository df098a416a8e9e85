import { HomeFilled } from '@element-plus/icons-vue'
import type { Section } from '@/router/section'

/** The supervisor's pages (each a lazy import; the first is the home) and menu. */
const section: Section = {
  routes: [
    { path: 'supervisor', name: 'supervisor-home', component: () => import('./SupervisorHome.vue'), meta: { roles: ['supervisor'], title: 'supervisor.home.title' } },
  ],
  menu: [{ route: 'supervisor-home', label: 'menu.home', icon: HomeFilled }],
}

export default section
