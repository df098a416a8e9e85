import type { ComposeOption } from 'echarts/core'
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts'
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components'

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>

/** A point of GET /api/v1/evaluation/trend, as far as the charts read it. */
export interface TrendPoint {
  period: string
  total: number | null
  indicators?: Record<string, { value: number | null; score: number | null }>
}

/** A line per series over the trend's periods: the total, and the indicator chosen (its score). */
export function trendOption(points: readonly TrendPoint[], names: { total: string; indicator?: string }, indicator?: string): ChartOption {
  const series: LineSeriesOption[] = [
    // Symbols large enough to see a graded period between two ungraded ones (a line of one point).
    { type: 'line', name: names.total, data: points.map((point) => point.total), connectNulls: false, smooth: false, showSymbol: true, symbolSize: 8 },
  ]
  if (indicator && names.indicator) {
    series.push({
      type: 'line',
      name: names.indicator,
      showSymbol: true,
      symbolSize: 8,
      data: points.map((point) => point.indicators?.[indicator]?.score ?? null),
    })
  }
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 24, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: points.map((point) => point.period) },
    yAxis: { type: 'value', min: 0, max: 100 },
    series,
  }
}

/** The trend's periods with no total (too few cases to grade): the chart leaves gaps there. */
export function ungradedPeriods(points: readonly TrendPoint[]): string[] {
  return points.filter((point) => point.total === null).map((point) => point.period)
}

/** One bar per compared party (a station, a category, an institution): the value of a measure. */
export function barOption(rows: readonly { name: string; value: number | null }[], seriesName: string): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 24, top: 24, bottom: 72 },
    xAxis: {
      type: 'category',
      data: rows.map((row) => row.name),
      axisLabel: { interval: 0, rotate: rows.length > 4 ? 30 : 0 },
    },
    yAxis: { type: 'value', min: 0 },
    series: [{ type: 'bar', name: seriesName, data: rows.map((row) => row.value), barMaxWidth: 36 }],
  }
}

/** Rankings: the rows with a total first, best first; the ungraded after them in their order. */
export function ranked<T extends { total: number | null }>(rows: readonly T[]): T[] {
  const graded = rows.filter((row) => row.total !== null).sort((a, b) => (b.total ?? 0) - (a.total ?? 0))
  return [...graded, ...rows.filter((row) => row.total === null)]
}
