import { type ReactNode, useMemo } from "react";
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
import { useComboChoice } from "../hooks/use-combo-choice.ts";
import {
  exactLanguage,
  type LanguageOption,
  languageName,
  languageOptions,
  searchLanguages,
} from "../utils/languages.ts";

interface LanguageFieldProps {
  value: string;
  onChange: (tag: string) => void;
  workspaceLanguages: string[];
  error?: ReactNode;
  onProblem?: (message: string | undefined) => void;
}

/**
 * The workspace's languages first, then every language the browser can name, found by its
 * name in the browser's language, in English or in itself ("Dutch", "Nederlands") or by
 * its code ("nl").
 */
export function LanguageField({ value, onChange, workspaceLanguages, error, onProblem }: LanguageFieldProps) {
  const options = useMemo(() => languageOptions(workspaceLanguages), [workspaceLanguages]);
  const choice = useComboChoice({
    value,
    onChange,
    nameOf: (tag) => options.find((o) => o.id === tag)?.name ?? languageName(tag),
    resolve: (text) => exactLanguage(options, text),
    problem: (text) => `“${text}” is not a language in the list. Choose one, or clear the field.`,
    onProblem,
  });
  const matches = choice.browsing ? options : searchLanguages(options, choice.input);
  const sections = [
    { id: "workspace", title: "Workspace languages", items: matches.filter((o) => o.preferred) },
    { id: "all", title: "All languages", items: matches.filter((o) => !o.preferred) },
  ].filter((section) => section.items.length > 0);
  return (
    <ComboBox
      className="field"
      items={sections}
      {...choice.props}
      isInvalid={error ? true : undefined}
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
                  {option.name} <span className="muted">{alsoCalled(option)}</span>
                </ListBoxItem>
              ))}
            </ListBoxSection>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}

/** "Dutch · nl" beside "Nederlands" in a Dutch browser: the other names it can be found by, and its code. */
const alsoCalled = (option: LanguageOption) => [...option.names.slice(1), option.id].join(" · ");
