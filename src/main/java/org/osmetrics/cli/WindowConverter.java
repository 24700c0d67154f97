package org.osmetrics.cli;

import org.osmetrics.transform.WindowGrid;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --window DURATION} of every command that takes one: a duration ({@code 1h}, {@code 1d}) that is a window grid. */
final class WindowConverter implements ITypeConverter<WindowGrid> {
    @Override
    public WindowGrid convert(String value) {
        try {
            return new WindowGrid(TimeArguments.parseDuration(value));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
