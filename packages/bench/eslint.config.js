import { baseConfig } from "@ciba/eslint-config/base";

export default baseConfig({ tsconfigRootDir: import.meta.dirname });
