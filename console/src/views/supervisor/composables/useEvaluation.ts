import { computed, ref, shallowRef, watch } from 'vue'
import { api, call, type components } from '@/api/client'
import { ApiError, asApiError } from '@/api/errors'
import { useCatalogue } from '@/composables/useCatalogue'
import { periodOf, yearOfPeriod, type PeriodKind } from '../lib/periods'
import { ranked, type TrendPoint } from '../lib/charts'
import { useParties, type Party } from './useParties'

export type Report = components['schemas']['ReportView']
export type Evaluation = components['schemas']['EvaluationView']
export type CompareBy = 'station' | 'category' | 'institution'

/** A compared party's report: its name, total, grade and each indicator's score. */
export interface ComparedRow {
  scope: string
  name: string
  total: number | null
  grade: string | null
  cases: number | null
  scores: Record<string, number | null>
}


/** What a report gives the comparison: its total, grade and indicator scores. */
export function comparedRow(party: { scope: string; name: string }, report: Report): ComparedRow {
  const scores: Record<string, number | null> = {}
  for (const dimension of report.dimensions) for (const line of dimension.indicators) scores[line.id] = line.score ?? null
  const cases = report.insufficient_data ? Number(report.insufficient_data.cases) : null
  return { scope: party.scope, name: party.name, total: report.total ?? null, grade: report.grade ?? null, cases, scores }
}

/**
 * The evaluation dashboard's state: the scope and period chosen, the report of them, the trend
 * of their year (by month or quarter) and a comparison of the stations, categories or
 * institutions over the same period (a report each).
 */
export function useEvaluation(now: Date = new Date()) {
  const { catalogue, label } = useCatalogue()
  const parties = useParties()
  const scope = ref('all')
  const kind = ref<PeriodKind>('month')
  const period = ref(periodOf('month', now))

  const report = shallowRef<Report | null>(null)
  const reportLoading = ref(false)
  const reportError = shallowRef<ApiError | null>(null)

  const every = ref<'month' | 'quarter'>('month')
  const trend = shallowRef<TrendPoint[]>([])
  const trendLoading = ref(false)
  const trendError = shallowRef<ApiError | null>(null)

  const compareBy = ref<CompareBy>('category')
  const compared = shallowRef<ComparedRow[]>([])
  const compareLoading = ref(false)
  const compareError = shallowRef<ApiError | null>(null)

  async function loadReport(): Promise<void> {
    reportLoading.value = true
    reportError.value = null
    try {
      report.value = await call(api.GET('/api/v1/evaluation/report', { params: { query: { scope: scope.value, period: period.value } } }))
    } catch (cause) {
      report.value = null
      reportError.value = asApiError(cause)
    } finally {
      reportLoading.value = false
    }
  }

  async function loadTrend(): Promise<void> {
    trendLoading.value = true
    trendError.value = null
    try {
      const answer = await call(
        api.GET('/api/v1/evaluation/trend', {
          params: { query: { scope: scope.value, period: yearOfPeriod(period.value), every: every.value } },
        }),
      )
      trend.value = answer.points as unknown as TrendPoint[]
    } catch (cause) {
      trend.value = []
      trendError.value = asApiError(cause)
    } finally {
      trendLoading.value = false
    }
  }

  function comparedParties(): Party[] {
    if (compareBy.value === 'station') return parties.stations.value
    if (compareBy.value === 'institution') return parties.institutions.value.slice(0, 20)
    return Object.keys(catalogue.value?.categories ?? {}).map((code) => ({ scope: `category:${code}`, id: code, name: label('categories', code) }))
  }

  let comparison = 0
  async function loadComparison(): Promise<void> {
    const mine = ++comparison
    compareLoading.value = true
    compareError.value = null
    try {
      await parties.ready()
      const list = comparedParties()
      const reports = await Promise.all(
        list.map((party) => call(api.GET('/api/v1/evaluation/report', { params: { query: { scope: party.scope, period: period.value } } }))),
      )
      if (mine !== comparison) return // a later comparison was asked for
      compared.value = reports.map((answer, i) => comparedRow(list[i]!, answer))
    } catch (cause) {
      if (mine !== comparison) return
      compared.value = []
      compareError.value = asApiError(cause)
    } finally {
      if (mine === comparison) compareLoading.value = false
    }
  }

  function loadAll(): Promise<unknown> {
    return Promise.all([loadReport(), loadTrend(), loadComparison()])
  }

  watch([scope, period], () => void Promise.all([loadReport(), loadTrend()]))
  watch(period, () => void loadComparison())
  watch(every, () => void loadTrend())
  watch(compareBy, () => void loadComparison())
  // the categories' names arrive with the catalogue
  watch(catalogue, () => {
    if (compareBy.value === 'category') void loadComparison()
  })

  /** Every indicator of the report: id and label, for the measure to compare and chart. */
  const indicators = computed(() =>
    (report.value?.dimensions ?? []).flatMap((dimension) => dimension.indicators.map((line) => ({ id: line.id, label: line.label }))),
  )

  return {
    scope,
    kind,
    period,
    parties,
    report,
    reportLoading,
    reportError,
    every,
    trend,
    trendLoading,
    trendError,
    compareBy,
    compared,
    rankings: computed(() => ranked(compared.value)),
    compareLoading,
    compareError,
    indicators,
    loadReport,
    loadTrend,
    loadComparison,
    loadAll,
  }
}
