package hudson.model;

/** Stand-in: a container of items (Jenkins itself, a folder). */
/** Stand-in. (The real one also extends PersistenceRoot.) */
public interface ItemGroup<T extends Item> extends ModelObject {
}
