import { api, call, type components } from '@/api/client'

export type Attachment = components['schemas']['Attachment']

/** Uploads a file's bytes (POST /api/v1/attachments?name=...): its sha256 and name. */
export async function uploadFile(file: File): Promise<Attachment> {
  return call(
    api.POST('/api/v1/attachments', {
      params: { query: { name: file.name } },
      body: file as unknown as string,
      bodySerializer: (body: unknown) => body as BodyInit,
      headers: { 'Content-Type': file.type || 'application/octet-stream' },
    }),
  )
}

/**
 * Downloads a file of a demand with the person's token (a link could not carry it): the browser
 * saves it under its name.
 */
export async function downloadFile(demandId: string, sha256: string, name: string): Promise<void> {
  const blob = await call(
    api.GET('/api/v1/demands/{demand_id}/files/{sha256}', {
      params: { path: { demand_id: demandId, sha256 } },
      parseAs: 'blob',
    }),
  )
  const url = URL.createObjectURL(blob as unknown as Blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
