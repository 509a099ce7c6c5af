package hudson.remoting;

/** Stand-in: the channel to an agent; the plugin never calls it directly. */
public interface VirtualChannel {
}
