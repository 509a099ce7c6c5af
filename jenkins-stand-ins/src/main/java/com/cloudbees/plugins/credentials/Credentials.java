package com.cloudbees.plugins.credentials;

import java.io.Serializable;

/** Stand-in: the credentials marker interface (the real one is also Describable). */
public interface Credentials extends Serializable {
}
