package dev.ganpipe.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Lets boolean options be written as bare switches ({@code --dry-run}) although the shared parser expects a value
 * after every option: a switch not followed by a boolean word becomes {@code --name=true}.
 */
final class Switches {

    private static final Set<String> BOOLEAN_WORDS = Set.of("true", "false", "yes", "no", "on", "off", "1", "0");

    private Switches() {
    }

    static List<String> expand(List<String> args, List<String> switches) {
        List<String> out = new ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            boolean isSwitch = arg.startsWith("--") && switches.contains(arg.substring(2));
            boolean valueFollows = i + 1 < args.size() && BOOLEAN_WORDS.contains(args.get(i + 1).toLowerCase(Locale.ROOT));
            out.add(isSwitch && !valueFollows ? arg + "=true" : arg);
        }
        return out;
    }
}
