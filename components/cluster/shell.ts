/** Shell building blocks of the generated scripts: quoting, retries, files written by heredoc. */
import { bootFail } from "./bootSpec";

/** Single-quoted shell word (values are validated; this is belt and braces). */
export function q(value: string): string {
    return `'${value.replace(/'/g, `'"'"'`)}'`;
}

export const RETRY = `# Network calls and fresh IAM grants fail for a while after an instance starts: retry for 5 minutes.
retry() {
    local attempt=1
    until "$@"; do
        if [ "$attempt" -ge 30 ]; then
            echo "giving up after $attempt attempts: $*" >&2
            return 1
        fi
        attempt=$((attempt + 1))
        sleep 10
    done
}`;

/** Writes `content` to `path` with a quoted heredoc (no expansion inside). */
export function writeFile(path: string, content: string, mode: string): string {
    const tag = "COCKROACH_EOF";
    if (content.split("\n").includes(tag)) bootFail(`file ${path} contains the heredoc delimiter.`);
    return `cat >${path} <<'${tag}'\n${content.endsWith("\n") ? content : content + "\n"}${tag}\nchmod ${mode} ${path}`;
}
