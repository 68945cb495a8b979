package io.github.isolation.zookeeper.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rows printed either as aligned columns under a header line or as a JSON array of objects
 * whose keys are the column names in lower case. Numbers and booleans stay numbers and
 * booleans in JSON; the table shows every value as text.
 */
final class Listing {

	private final List<String> columns;

	private final List<List<Object>> rows = new ArrayList<>();

	Listing(String... columns) {
		this.columns = List.of(columns);
	}

	Listing row(Object... values) {
		if (values.length != this.columns.size()) {
			throw new IllegalArgumentException("a row needs " + this.columns.size() + " values, but had " + values.length);
		}
		this.rows.add(Arrays.asList(values));
		return this;
	}

	void print(PrintWriter out, OutputFormat format, boolean headers) {
		if (format == OutputFormat.JSON) {
			printJson(out);
		}
		else {
			printTable(out, headers);
		}
		out.flush();
	}

	private void printJson(PrintWriter out) {
		List<Object> objects = new ArrayList<>();
		for (List<Object> row : this.rows) {
			Map<String, Object> object = new LinkedHashMap<>();
			for (int i = 0; i < this.columns.size(); i++) {
				object.put(this.columns.get(i).toLowerCase(Locale.ROOT), row.get(i));
			}
			objects.add(object);
		}
		out.println(JsonWriter.write(objects));
	}

	private void printTable(PrintWriter out, boolean headers) {
		List<List<String>> all = new ArrayList<>();
		if (headers) {
			all.add(this.columns);
		}
		for (List<Object> row : this.rows) {
			all.add(row.stream().map((value) -> (value != null) ? value.toString() : "-").toList());
		}
		int[] widths = new int[this.columns.size()];
		for (List<String> row : all) {
			for (int i = 0; i < row.size(); i++) {
				widths[i] = Math.max(widths[i], row.get(i).length());
			}
		}
		for (List<String> row : all) {
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < row.size(); i++) {
				line.append(row.get(i));
				if (i < row.size() - 1) {
					line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
				}
			}
			out.println(line);
		}
	}

}
