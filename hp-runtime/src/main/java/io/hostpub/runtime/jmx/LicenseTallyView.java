package io.hostpub.runtime.jmx;

/** {@code io.hostpub:type=Licenses,name=SUPERVISOR}: the machine's license tally, on its supervisor (read-only). */
public interface LicenseTallyView {

    int getUnitsInUse();

    /** The machine's limit; 0 for none. */
    int getLimit();

    /** Each holder's units, as {@code name=units}. */
    String[] getHoldings();
}
