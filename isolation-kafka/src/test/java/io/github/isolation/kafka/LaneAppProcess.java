package io.github.isolation.kafka;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * {@link LaneApp} in a JVM of its own, so that a test can kill it as a crash does: with
 * {@code Process.destroyForcibly()} its consumers neither commit nor leave their group, and the
 * group coordinator learns of it only when their session times out. Its arguments are the
 * application's properties ({@code --name=value}). Each record it processes is written to
 * standard output as one {@value #PREFIX} line and flushed before the listener returns, so
 * before its offset can be committed: a record whose commit survives the kill has been reported.
 */
public final class LaneAppProcess {

	/** Starts each line that reports a processed record: {@code app key group partition offset}. */
	static final String PREFIX = "[processed] ";

	private LaneAppProcess() {
	}

	public static void main(String[] args) {
		// Unbuffered, one write per line: what the listener reports is in the pipe before the listener
		// returns, and a log line written meanwhile cannot land inside it.
		FileOutputStream report = new FileOutputStream(FileDescriptor.out);
		LaneApp.onProcessed = (processed) -> {
			byte[] line = (PREFIX + processed.app() + " " + processed.key() + " " + processed.group() + " "
					+ processed.partition() + " " + processed.offset() + "\n").getBytes(StandardCharsets.UTF_8);
			synchronized (report) {
				try {
					report.write(line);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
		};
		new SpringApplicationBuilder(LaneApp.class).web(WebApplicationType.NONE).run(args);
	}

	/** The record a {@link #PREFIX} line reports, or {@code null} for any other line. */
	static LaneApp.Processed parse(String line) {
		String[] parts = line.startsWith(PREFIX) ? line.substring(PREFIX.length()).split(" ") : new String[0];
		if (parts.length != 5) {
			return null;
		}
		try {
			return new LaneApp.Processed(parts[0], parts[1], "null".equals(parts[2]) ? null : parts[2],
					Integer.parseInt(parts[3]), Long.parseLong(parts[4]));
		}
		catch (NumberFormatException ex) {
			// Not a whole report: shown as output, and the test then misses the record it was for.
			return null;
		}
	}

}
