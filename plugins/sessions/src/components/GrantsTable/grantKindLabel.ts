const KIND_LABELS: Record<string, string> = {
  device_admin: 'Device Admin',
  timed_access: 'Timed Access',
};

/** `Device Admin`, `Timed Access`; a kind this version does not know as is. */
export function grantKindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}
