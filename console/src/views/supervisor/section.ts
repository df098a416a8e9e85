import { Box, ChatLineSquare, Collection, DataLine, DocumentChecked, Finished, FolderOpened, Medal, Notebook, View } from '@element-plus/icons-vue'
import { REPORTS, type Section } from '@/router/section'

const roles = ['supervisor'] as const

/** The supervisor's pages (each a lazy import; the first, dossier search, is the home) and menu. */
const section: Section = {
  routes: [
    { path: 'supervisor', name: 'supervisor-home', component: () => import('./DossierSearchPage.vue'), meta: { roles, title: 'supervisor.dossiers.title' } },
    { path: 'supervisor/dossiers/:id', name: 'supervisor-dossier', component: () => import('./DossierPage.vue'), props: true, meta: { roles, title: 'supervisor.dossier.title' } },
    { path: 'supervisor/evaluation', name: 'supervisor-evaluation', component: () => import('./EvaluationDashboard.vue'), meta: { roles, title: 'supervisor.evaluation.title' } },
    { path: 'supervisor/evaluations', name: 'supervisor-evaluations', component: () => import('./EvaluationsPage.vue'), meta: { roles, title: 'supervisor.evaluations.title' } },
    { path: 'supervisor/complaints', name: 'supervisor-complaints', component: () => import('./ComplaintsPage.vue'), meta: { roles, title: 'supervisor.complaints.title' } },
    { path: 'supervisor/complaints/:id', name: 'supervisor-complaint', component: () => import('./ComplaintPage.vue'), props: true, meta: { roles, title: 'supervisor.complaints.one' } },
    { path: 'supervisor/checks', name: 'supervisor-checks', component: () => import('./ChecksPage.vue'), meta: { roles, title: 'supervisor.checks.title' } },
    { path: 'supervisor/improvements', name: 'supervisor-improvements', component: () => import('./ImprovementActionsPage.vue'), meta: { roles, title: 'supervisor.improvements.title' } },
    { path: 'supervisor/retention', name: 'supervisor-retention', component: () => import('./RetentionPage.vue'), meta: { roles, title: 'supervisor.retention.title' } },
    { path: 'supervisor/requirements', name: 'supervisor-requirements', component: () => import('./StationRequirementsPage.vue'), meta: { roles, title: 'supervisor.requirements.title' } },
    { path: 'supervisor/audit', name: 'supervisor-audit', component: () => import('./AuditPage.vue'), meta: { roles, title: 'supervisor.audit.title' } },
    { path: 'supervisor/catalogue', name: 'supervisor-catalogue', component: () => import('./CataloguePage.vue'), meta: { roles, title: 'supervisor.catalogue.title' } },
  ],
  menu: [
    { route: 'supervisor-home', label: 'supervisor.menu.dossiers', icon: FolderOpened },
    { route: 'supervisor-evaluation', label: 'supervisor.menu.evaluation', icon: DataLine },
    { route: 'supervisor-evaluations', label: 'supervisor.menu.evaluations', icon: Medal },
    { route: 'supervisor-complaints', label: 'supervisor.menu.complaints', icon: ChatLineSquare },
    { route: 'supervisor-checks', label: 'supervisor.menu.checks', icon: View },
    { route: 'supervisor-improvements', label: 'supervisor.menu.improvements', icon: Finished },
    { route: 'supervisor-retention', label: 'supervisor.menu.retention', icon: Box },
    { route: 'supervisor-requirements', label: 'supervisor.menu.requirements', icon: DocumentChecked },
    { route: 'supervisor-audit', label: 'supervisor.menu.audit', icon: Notebook },
    { route: 'supervisor-catalogue', label: 'supervisor.menu.catalogue', icon: Collection },
    REPORTS,
  ],
}

export default section
