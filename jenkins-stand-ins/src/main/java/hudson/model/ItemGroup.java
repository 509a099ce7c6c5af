package hudson.model;

/** Stand-in: a container of items (Jenkins itself, a folder). */
public interface ItemGroup<T extends Item> {
}
