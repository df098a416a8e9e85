import { useI18n } from 'vue-i18n'
import { useCatalogue } from '@/composables/useCatalogue'
import { useParties } from './useParties'

/** An evaluation scope in words: 全部, a category's label, a station's or an institution's name. */
export function useScopeName() {
  const { t } = useI18n()
  const { label } = useCatalogue()
  const { stations, institutions } = useParties()
  function scopeName(scope: string): string {
    const [kind, key = ''] = scope.split(':', 2) as [string, string?]
    if (kind === 'all') return t('supervisor.evaluation.scopeAll')
    if (kind === 'category') return `${t('supervisor.evaluation.scopeCategory')}：${label('categories', key)}`
    const parties = kind === 'station' ? stations.value : institutions.value
    const name = parties.find((party) => party.id === key)?.name ?? key
    return `${kind === 'station' ? t('supervisor.evaluation.scopeStation') : t('supervisor.evaluation.scopeInstitution')}：${name}`
  }
  return { scopeName }
}
