package io.github.hivemesh.benchmarks.report;

import java.util.ArrayList;
import java.util.List;

/** A Markdown document being written: headings, paragraphs and pipe tables. */
final class Markdown {

    private final StringBuilder out = new StringBuilder();

    Markdown heading(int level, String text) {
        out.append("#".repeat(level)).append(' ').append(text).append("\n\n");
        return this;
    }

    Markdown paragraph(String text) {
        out.append(text).append("\n\n");
        return this;
    }

    Markdown line(String text) {
        out.append(text).append('\n');
        return this;
    }

    Markdown table(Table table) {
        out.append(table.render()).append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /** A pipe table; cells have their {@code |} escaped. */
    static final class Table {
        private final List<String> header;
        private final List<List<String>> rows = new ArrayList<>();
        private final boolean[] right;

        /** Columns whose name starts with '>' are right-aligned (the '>' is dropped). */
        Table(String... columns) {
            header = new ArrayList<>();
            right = new boolean[columns.length];
            for (int i = 0; i < columns.length; i++) {
                right[i] = columns[i].startsWith(">");
                header.add(right[i] ? columns[i].substring(1) : columns[i]);
            }
        }

        Table row(Object... cells) {
            if (cells.length != header.size()) {
                throw new IllegalArgumentException(cells.length + " cells for "
                        + header.size() + " columns");
            }
            List<String> row = new ArrayList<>();
            for (Object cell : cells) {
                row.add(String.valueOf(cell).replace("|", "\\|").replace("\n", " "));
            }
            rows.add(row);
            return this;
        }

        boolean isEmpty() {
            return rows.isEmpty();
        }

        String render() {
            StringBuilder out = new StringBuilder("| ").append(String.join(" | ", header))
                    .append(" |\n|");
            for (boolean r : right) {
                out.append(r ? "---:|" : "---|");
            }
            out.append('\n');
            for (List<String> row : rows) {
                out.append("| ").append(String.join(" | ", row)).append(" |\n");
            }
            return out.toString();
        }
    }
}
