// The chapters whose pages exist, in reading order: the Overview's map, from the same table as the sidebar.
import {existsSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {CHAPTERS, pageFile} from "../../components/page/chapters.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
process.stdout.write(JSON.stringify(CHAPTERS.filter((c) => existsSync(root + pageFile(c)))));
