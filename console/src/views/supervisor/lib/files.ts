/** A file a dossier names: an attachment of the demand or a document of the completion's evidence. */
export interface DossierFile {
  sha256: string
  name: string
  mediaType: string
  /** The event that named it first. */
  namedBy: string
}

interface EventLike {
  name: string
  data: Record<string, unknown>
}

function described(value: unknown): { sha256: string; name: string; media_type?: string }[] {
  if (!Array.isArray(value)) return []
  return value.filter(
    (item): item is { sha256: string; name: string; media_type?: string } =>
      !!item && typeof item === 'object' && typeof (item as { sha256?: unknown }).sha256 === 'string',
  )
}

/** The files the dossier's entries name (as the archive reads them), each once, in order. */
export function filesOf(events: readonly EventLike[]): DossierFile[] {
  const found = new Map<string, DossierFile>()
  for (const event of events) {
    const evidence = event.data.evidence as { documents?: unknown } | null | undefined
    const named = [
      ...described(event.data.attachments),
      ...described(evidence && typeof evidence === 'object' ? evidence.documents : undefined).map((document) => ({
        ...document,
        media_type: 'application/octet-stream',
      })),
    ]
    for (const file of named) {
      if (!found.has(file.sha256)) {
        found.set(file.sha256, {
          sha256: file.sha256,
          name: String(file.name ?? file.sha256),
          mediaType: file.media_type ?? 'application/octet-stream',
          namedBy: event.name,
        })
      }
    }
  }
  return [...found.values()]
}
