import { useEffect, useState } from "react";
import { Tab, TabList, TabPanel, Tabs } from "react-aria-components";
import { ChannelsSettings } from "./ChannelsSettings.tsx";

const SECTIONS = [
  { id: "channels", title: "Channels" },
  { id: "fields", title: "Fields" },
  { id: "webhooks", title: "Webhooks" },
  { id: "audit-log", title: "Audit log" },
] as const;
type Section = (typeof SECTIONS)[number]["id"];

const sectionOf = (hash: string): Section => SECTIONS.find((section) => `#${section.id}` === hash)?.id ?? "channels";

/**
 * Studio → Settings: Channels, Fields, Webhooks and Audit log as tabs. The open tab is the
 * address's fragment (`/studio/settings#channels`), so a link can point at one.
 */
export function SettingsPage() {
  const [section, setSection] = useState<Section>(() => sectionOf(window.location.hash));
  useEffect(() => {
    const follow = () => setSection(sectionOf(window.location.hash));
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, []);
  return (
    <div className="settings-page">
      <h1>Settings</h1>
      <Tabs
        selectedKey={section}
        onSelectionChange={(key) => {
          setSection(key as Section);
          window.history.replaceState(null, "", `#${String(key)}`);
        }}
      >
        <TabList aria-label="Settings" className="tab-list">
          {SECTIONS.map((item) => (
            <Tab key={item.id} id={item.id} className="tab">
              {item.title}
            </Tab>
          ))}
        </TabList>
        <TabPanel id="channels" className="tab-panel">
          <h2>Channels</h2>
          <ChannelsSettings />
        </TabPanel>
        <TabPanel id="fields" className="tab-panel">
          <h2>Fields</h2>
          <p className="muted">The custom fields of contacts are set up here.</p>
        </TabPanel>
        <TabPanel id="webhooks" className="tab-panel">
          <h2>Webhooks</h2>
          <p className="muted">Webhooks that tell other systems about changes to contacts are set up here.</p>
        </TabPanel>
        <TabPanel id="audit-log" className="tab-panel">
          <h2>Audit log</h2>
          <p className="muted">Who changed what, and when.</p>
        </TabPanel>
      </Tabs>
    </div>
  );
}
