/** The operator's pages' words, Chinese first; both languages have the same keys (a test checks). */
import { words } from '@/i18n/shape'

export default words(
  {
    home: { title: '平台运营工作台', description: '管理工作站、机构、账号和平台运行状况。' },
  },
  {
    home: { title: 'Operations', description: 'Stations, organisations, accounts and the running of the platform.' },
  },
)
