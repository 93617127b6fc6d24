import { type ReactNode, useEffect, useMemo, useState } from "react";
import { Button, ComboBox, FieldError, Input, Label, ListBox, ListBoxItem, Popover } from "react-aria-components";
import { allTimeZones, searchTimeZones, type TimeZoneOption } from "../utils/timezones.ts";

interface TimezoneFieldProps {
  value: string;
  onChange: (zone: string) => void;
  error?: ReactNode;
}

/** A searchable list of the runtime's IANA zones with their UTC offsets ("+2" finds every zone at UTC+02:00). */
export function TimezoneField({ value, onChange, error }: TimezoneFieldProps) {
  const zones = useMemo(() => allTimeZones(), []);
  const [input, setInput] = useState(value);
  useEffect(() => setInput(value), [value]);
  const items = useMemo(
    () => (input === value ? zones : searchTimeZones(zones, input).slice(0, 200)),
    [zones, input, value],
  );
  return (
    <ComboBox
      className="field"
      items={items}
      inputValue={input}
      onInputChange={(text) => {
        setInput(text);
        if (text === "") onChange("");
      }}
      selectedKey={value || null}
      onSelectionChange={(key) => {
        if (key === null) return;
        onChange(String(key));
        setInput(String(key));
      }}
      isInvalid={Boolean(error)}
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
