/** Language and theme switches, in the header and on the sign-in page. */

import { MoonOutlined, SunOutlined } from "@ant-design/icons";
import { Button, Select, Space, Tooltip } from "antd";

import { useI18n, type Locale } from "../i18n";
import { useThemeMode } from "../kernel/theme";

export function ShellControls() {
  const { locale, setLocale, t } = useI18n();
  const { mode, setMode } = useThemeMode();
  return (
    <Space>
      <Select<Locale>
        size="small"
        variant="borderless"
        aria-label={t("shell.language")}
        data-testid="language-switch"
        value={locale}
        onChange={setLocale}
        options={[
          { value: "zh-CN", label: "简体中文" },
          { value: "en-US", label: "English" },
        ]}
        style={{ width: 110 }}
      />
      <Tooltip title={mode === "dark" ? t("shell.lightTheme") : t("shell.darkTheme")}>
        <Button
          type="text"
          aria-label={mode === "dark" ? t("shell.lightTheme") : t("shell.darkTheme")}
          data-testid="theme-switch"
          icon={mode === "dark" ? <SunOutlined /> : <MoonOutlined />}
          onClick={() => setMode(mode === "dark" ? "light" : "dark")}
        />
      </Tooltip>
    </Space>
  );
}
