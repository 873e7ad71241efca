// Settings: what belongs to the desktop rather than to a page. Today: the team this desktop syncs with.
import { TeamSettings } from '../components/TeamSettings.tsx'

export function SettingsPage() {
  return (
    <div className="page settings-page">
      <h1>Settings</h1>
      <TeamSettings />
    </div>
  )
}
