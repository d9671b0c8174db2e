/** Entry point of the JupyterLab extension (`jupyterlab.extension`); the mime renderer is `mime.ts`. */
export { default } from "./launcher";
