import type { components } from '@/api/client'

export type GiveFeedback = components['schemas']['GiveFeedback']
export const FEEDBACK_DIMENSIONS = ['overall', 'timeliness', 'professionalism', 'attitude', 'outcome'] as const
export type FeedbackDimension = (typeof FEEDBACK_DIMENSIONS)[number]
export type FeedbackScores = Record<FeedbackDimension, number>

/**
 * A feedback request (an enterprise's own, online, or a specialist's revisit): an unset score
 * (0) is sent as missing, so the API names it beside its stars ("required"), and nobody's
 * satisfaction is taken for granted; an empty comment is none.
 */
export function feedbackBody(scores: FeedbackScores, comment: string, channel: GiveFeedback['channel'] = 'online'): GiveFeedback {
  const body: Record<string, unknown> = { channel, comment: comment.trim() || null }
  for (const dimension of FEEDBACK_DIMENSIONS) {
    if (scores[dimension] > 0) body[dimension] = scores[dimension]
  }
  return body as unknown as GiveFeedback
}
