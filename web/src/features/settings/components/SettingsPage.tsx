import type { ReactNode } from "react";
import { Tab, TabList, TabPanel, Tabs } from "react-aria-components";

/** The Studio's settings, one tab each; the address names the open one (`?tab=`). */
export const SETTINGS_TABS = [
  { id: "channels", label: "Channels" },
  { id: "fields", label: "Fields" },
  { id: "webhooks", label: "Webhooks" },
  { id: "audit", label: "Audit log" },
] as const;

export type SettingsTab = (typeof SETTINGS_TABS)[number]["id"];

export const DEFAULT_SETTINGS_TAB: SettingsTab = "channels";

export const isSettingsTab = (value: unknown): value is SettingsTab => SETTINGS_TABS.some((t) => t.id === value);

/**
 * Studio → Settings (admins). The page only frames the tabs: each tab's content comes from
 * its own feature, put together by the app (features do not import each other).
 */
export function SettingsPage({
  tab,
  onTabChange,
  panels,
}: {
  tab: SettingsTab;
  onTabChange: (tab: SettingsTab) => void;
  panels: Partial<Record<SettingsTab, ReactNode>>;
}) {
  return (
    <div className="settings-page">
      <h1>Settings</h1>
      <Tabs
        selectedKey={tab}
        onSelectionChange={(key) => {
          if (isSettingsTab(key)) onTabChange(key);
        }}
      >
        <TabList aria-label="Settings" className="settings-tabs">
          {SETTINGS_TABS.map((t) => (
            <Tab key={t.id} id={t.id} className="settings-tab">
              {t.label}
            </Tab>
          ))}
        </TabList>
        {SETTINGS_TABS.map((t) => (
          <TabPanel key={t.id} id={t.id} className="settings-panel">
            {panels[t.id] ?? <p className="muted">Nothing to set here yet.</p>}
          </TabPanel>
        ))}
      </Tabs>
    </div>
  );
}
