import { api, call, type components } from '@/api/client'

export type Attachment = components['schemas']['Attachment']

/** Downloads a demand's attachment (the request carries the session's token) under its name. */
export async function downloadAttachment(demandId: string, attachment: Attachment): Promise<void> {
  const blob = await call(
    api.GET('/api/v1/demands/{demand_id}/files/{sha256}', {
      params: { path: { demand_id: demandId, sha256: attachment.sha256 } },
      parseAs: 'blob',
    }),
  )
  const url = URL.createObjectURL(blob as Blob)
  const link = document.createElement('a')
  link.href = url
  link.download = attachment.name
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** "12.3 KB" */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
