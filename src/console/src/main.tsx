import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { setApiKey } from "./lib/api";
import "./styles.css";

// The link the server prints at first start carries the key in the fragment (never sent to a server or logged);
// take it and remove it from the address bar and history at once.
const match = /(?:^#|&)key=([^&]+)/.exec(window.location.hash);
if (match) {
  setApiKey(decodeURIComponent(match[1]));
  history.replaceState(null, "", window.location.pathname + window.location.search);
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
