export default { render({ el }) { el.textContent = "view not built"; } };
