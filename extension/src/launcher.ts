/**
 * Workshop launcher: a launcher section and command-palette entries that open each workshop
 * notebook, in workshop order. Notebooks are discovered through the Contents API at startup, below
 * the server root's notebooks/ folder (`npm start` serves the project root), or below the root
 * itself when it has no notebooks/ folder.
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { ICommandPalette } from "@jupyterlab/apputils";
import { ILauncher } from "@jupyterlab/launcher";
import { notebookIcon } from "@jupyterlab/ui-components";
import { notebookLabel, notebooksBase, SKIP_DIRS, sortNotebooks } from "./notebooks";

/** Launcher section and palette category of the workshop notebooks. */
export const CATEGORY = "ML Data Prep Workshop";

/** How deep to look below the server root; the workshop uses one level of track folders. */
const MAX_DEPTH = 3;

/** Command ids of this plugin. */
export namespace CommandIDs {
  /** Open the workshop notebook at `args.path`. */
  export const openNotebook = "ml-dataprep-ts:open-notebook";
}

type Contents = JupyterFrontEnd["serviceManager"]["contents"];

/** Paths of all notebooks below `path`, depth-first, skipping checkpoint and output folders. */
export async function findNotebooks(contents: Contents, path = "", depth = 0): Promise<string[]> {
  const model = await contents.get(path, { content: true });
  const found: string[] = [];
  for (const item of (model.content ?? []) as { name: string; path: string; type: string }[]) {
    if (item.type === "notebook") {
      found.push(item.path);
    } else if (item.type === "directory" && depth < MAX_DEPTH && !SKIP_DIRS.has(item.name)) {
      found.push(...(await findNotebooks(contents, item.path, depth + 1)));
    }
  }
  return found;
}

/** The workshop notebooks in workshop order: below notebooks/ when the server root has it, else below the root. */
export async function findWorkshopNotebooks(contents: Contents): Promise<string[]> {
  const root = await contents.get("", { content: true });
  const folders = ((root.content ?? []) as { name: string; type: string }[])
    .filter((item) => item.type === "directory")
    .map((item) => item.name);
  const base = notebooksBase(folders);
  return sortNotebooks(await findNotebooks(contents, base), base);
}

/** The workshop launcher plugin; launcher and palette are optional. */
const plugin: JupyterFrontEndPlugin<void> = {
  id: "ml-dataprep-ts-labextension:launcher",
  description: "Opens the ML data prep workshop notebooks from the launcher and the command palette.",
  autoStart: true,
  optional: [ILauncher, ICommandPalette],
  activate: (app: JupyterFrontEnd, launcher: ILauncher | null, palette: ICommandPalette | null) => {
    const { commands } = app;
    commands.addCommand(CommandIDs.openNotebook, {
      label: (args) => notebookLabel(String(args.path ?? "")),
      caption: (args) => `Open ${String(args.path ?? "")}`,
      icon: notebookIcon,
      execute: (args) => commands.execute("docmanager:open", { path: String(args.path) }),
    });
    // Discovery runs after activation so a slow or failing listing never delays JupyterLab.
    void findWorkshopNotebooks(app.serviceManager.contents)
      .then((paths) => {
        paths.forEach((path, rank) => {
          launcher?.add({ command: CommandIDs.openNotebook, args: { path }, category: CATEGORY, rank });
          palette?.addItem({ command: CommandIDs.openNotebook, args: { path }, category: CATEGORY, rank });
        });
      })
      .catch((error) => console.warn("ml-dataprep-ts: could not list the workshop notebooks", error));
  },
};

export default plugin;
