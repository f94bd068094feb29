// Light or dark: the course site says so on <html data-theme>, JupyterLab on <body
// data-jp-theme-light>, VS Code with a body class; elsewhere the system's colour scheme
// decides. The result goes on the view's root as data-theme, which the stylesheet keys on.
function isDark() {
  const page = document.documentElement?.dataset?.theme; // the course site (pydata theme)
  if (page === "dark") return true;
  if (page === "light") return false;
  const body = document.body;
  const lab = body?.dataset?.jpThemeLight;
  if (lab === "false") return true;
  if (lab === "true") return false;
  if (body?.classList.contains("vscode-dark") || body?.classList.contains("vscode-high-contrast")) return true;
  if (body?.classList.contains("vscode-light")) return false;
  return typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches;
}

export function watchTheme(root) {
  const update = () => {
    const theme = isDark() ? "dark" : "light";
    if (root.dataset.theme !== theme) root.dataset.theme = theme;
  };
  update();
  const observer = new MutationObserver(update);
  if (document.body) observer.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-light", "class"] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  const media = typeof matchMedia === "function" ? matchMedia("(prefers-color-scheme: dark)") : null;
  media?.addEventListener?.("change", update);
  return () => {
    observer.disconnect();
    media?.removeEventListener?.("change", update);
  };
}
