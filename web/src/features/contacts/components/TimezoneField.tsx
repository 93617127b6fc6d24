import { type ReactNode, useMemo } from "react";
import { Button, ComboBox, FieldError, Input, Label, ListBox, ListBoxItem, Popover } from "react-aria-components";
import { useComboChoice } from "../hooks/use-combo-choice.ts";
import { allTimeZones, exactTimeZone, searchTimeZones, type TimeZoneOption } from "../utils/timezones.ts";

interface TimezoneFieldProps {
  value: string;
  onChange: (zone: string) => void;
  error?: ReactNode;
  onProblem?: (message: string | undefined) => void;
}

/**
 * A searchable list of the runtime's IANA zones with their UTC offsets ("+2" finds every
 * zone at UTC+02:00); a zone's name or city typed in full ("amsterdam") chooses it.
 */
export function TimezoneField({ value, onChange, error, onProblem }: TimezoneFieldProps) {
  const zones = useMemo(() => allTimeZones(), []);
  const choice = useComboChoice({
    value,
    onChange,
    nameOf: (zone) => zone,
    resolve: (text) => exactTimeZone(zones, text),
    problem: (text) => `“${text}” is not a time zone in the list. Choose one, or clear the field.`,
    onProblem,
  });
  const items = useMemo(
    () => (choice.browsing ? zones : searchTimeZones(zones, choice.input).slice(0, 200)),
    [zones, choice.input, choice.browsing],
  );
  return (
    <ComboBox
      className="field"
      items={items}
      {...choice.props}
      isInvalid={error ? true : undefined}
      menuTrigger="focus"
    >
      <Label>Timezone</Label>
      <div className="combo">
        <Input placeholder="Search a city or an offset (+1)" />
        <Button aria-label="Show time zones" className="combo-button">
          <span aria-hidden="true">▾</span>
        </Button>
      </div>
      <FieldError className="field-error">{error}</FieldError>
      <Popover className="popover" placement="bottom start">
        <ListBox className="listbox" renderEmptyState={() => <p className="listbox-empty">No time zone matches.</p>}>
          {(zone: TimeZoneOption) => (
            <ListBoxItem id={zone.id} textValue={zone.id} className="listbox-item">
              <span className="offset">{zone.offset}</span> {zone.id.replaceAll("_", " ")}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
