/** Files fetched through the signed-in session, then saved or opened in a tab of their own. */
import { fetchFile } from '../api/client';

/** Save the file at `url` under `fileName`. */
export async function saveFile(url: string, fileName: string): Promise<void> {
  const href = URL.createObjectURL(await fetchFile(url));
  Object.assign(document.createElement('a'), { href, download: fileName }).click();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/**
 * Open the file at `url` (a PDF) in a new tab, where the browser shows it. The tab is opened before
 * the file arrives, as a pop-up blocker only allows one straight from the click.
 */
export async function openFile(url: string): Promise<void> {
  const tab = window.open('', '_blank');
  try {
    const href = URL.createObjectURL(await fetchFile(url));
    if (tab) tab.location.href = href;
    else window.location.assign(href);
  } catch (err) {
    tab?.close();
    throw err;
  }
}
