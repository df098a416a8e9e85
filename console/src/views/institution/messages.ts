/** The institution's pages' words, Chinese first; both languages have the same keys (a test checks). */
import { words } from '@/i18n/shape'

export default words(
  {
    home: { title: '服务机构工作台', description: '处理服务邀约、跟进承接的服务、维护机构信息。' },
  },
  {
    home: { title: 'Institution workspace', description: 'Answer offers, follow your assignments and keep your profile up to date.' },
  },
)
