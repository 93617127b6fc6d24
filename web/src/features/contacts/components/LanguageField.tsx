import { type ReactNode, useEffect, useMemo, useState } from "react";
import {
  Button,
  ComboBox,
  FieldError,
  Header,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  ListBoxSection,
  Popover,
} from "react-aria-components";
import { type LanguageOption, languageName, languageOptions, searchLanguages } from "../utils/languages.ts";

interface LanguageFieldProps {
  value: string;
  onChange: (tag: string) => void;
  workspaceLanguages: string[];
  error?: ReactNode;
}

/** The workspace's languages first, then every language the browser can name, searchable by name or code. */
export function LanguageField({ value, onChange, workspaceLanguages, error }: LanguageFieldProps) {
  const options = useMemo(() => languageOptions(workspaceLanguages), [workspaceLanguages]);
  const shown = languageName(value);
  const [input, setInput] = useState(shown);
  useEffect(() => setInput(shown), [shown]);
  const matches = input === shown ? options : searchLanguages(options, input);
  const sections = [
    { id: "workspace", title: "Workspace languages", items: matches.filter((o) => o.preferred) },
    { id: "all", title: "All languages", items: matches.filter((o) => !o.preferred) },
  ].filter((section) => section.items.length > 0);
  return (
    <ComboBox
      className="field"
      items={sections}
      inputValue={input}
      onInputChange={(text) => {
        setInput(text);
        if (text === "") onChange("");
      }}
      selectedKey={value || null}
      onSelectionChange={(key) => {
        if (key === null) return;
        onChange(String(key));
        setInput(languageName(String(key)));
      }}
      isInvalid={Boolean(error)}
      menuTrigger="focus"
    >
      <Label>Language</Label>
      <div className="combo">
        <Input placeholder="Search a language" />
        <Button aria-label="Show languages" className="combo-button">
          <span aria-hidden="true">▾</span>
        </Button>
      </div>
      <FieldError className="field-error">{error}</FieldError>
      <Popover className="popover" placement="bottom start">
        <ListBox className="listbox" renderEmptyState={() => <p className="listbox-empty">No language matches.</p>}>
          {(section: { id: string; title: string; items: LanguageOption[] }) => (
            <ListBoxSection id={section.id} className="listbox-section">
              <Header className="listbox-header">{section.title}</Header>
              {section.items.map((option) => (
                <ListBoxItem key={option.id} id={option.id} textValue={option.name} className="listbox-item">
                  {option.name} <span className="muted">{option.id}</span>
                </ListBoxItem>
              ))}
            </ListBoxSection>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
