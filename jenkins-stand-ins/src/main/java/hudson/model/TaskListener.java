package hudson.model;

import java.io.PrintStream;
import java.io.Serializable;

/** Stand-in: the build log (serializable over remoting, as the real one). */
public interface TaskListener extends Serializable {
    PrintStream getLogger();
}
