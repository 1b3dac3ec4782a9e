package io.github.zkharness.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a compiled class (JVM specification, chapter 4) just far enough to list the methods one of its methods
 * calls: the constant pool, the methods, their {@code Code} attributes, and the instructions in them. Java 17
 * has no public class-file API and ASM is not on the class path; this is all a contract test needs.
 */
final class MethodCalls {

    private static final int CONSTANT_UTF8 = 1;
    private static final int CONSTANT_INTEGER = 3;
    private static final int CONSTANT_FLOAT = 4;
    private static final int CONSTANT_LONG = 5;
    private static final int CONSTANT_DOUBLE = 6;
    private static final int CONSTANT_CLASS = 7;
    private static final int CONSTANT_STRING = 8;
    private static final int CONSTANT_FIELDREF = 9;
    private static final int CONSTANT_METHODREF = 10;
    private static final int CONSTANT_INTERFACE_METHODREF = 11;
    private static final int CONSTANT_NAME_AND_TYPE = 12;
    private static final int CONSTANT_METHOD_HANDLE = 15;
    private static final int CONSTANT_METHOD_TYPE = 16;
    private static final int CONSTANT_DYNAMIC = 17;
    private static final int CONSTANT_INVOKE_DYNAMIC = 18;
    private static final int CONSTANT_MODULE = 19;
    private static final int CONSTANT_PACKAGE = 20;

    private static final int INVOKEVIRTUAL = 0xb6;
    private static final int INVOKESPECIAL = 0xb7;
    private static final int INVOKESTATIC = 0xb8;
    private static final int INVOKEINTERFACE = 0xb9;
    private static final int TABLESWITCH = 0xaa;
    private static final int LOOKUPSWITCH = 0xab;
    private static final int WIDE = 0xc4;
    private static final int IINC = 0x84;

    /** One call site: the class that declares the method (as the call names it), the method's name and type. */
    record Call(String owner, String name, String descriptor) {}

    private final int[] tags;
    private final int[] first;
    private final int[] second;
    private final String[] utf8;
    private final List<byte[]> codes = new ArrayList<>();

    private MethodCalls(DataInputStream in, String methodName) throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        tags = new int[count];
        first = new int[count];
        second = new int[count];
        utf8 = new String[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            tags[i] = tag;
            switch (tag) {
                case CONSTANT_UTF8 -> utf8[i] = in.readUTF();
                case CONSTANT_INTEGER, CONSTANT_FLOAT -> in.readInt();
                case CONSTANT_LONG, CONSTANT_DOUBLE -> {
                    in.readLong();
                    i++; // eight-byte constants take two slots
                }
                case CONSTANT_CLASS, CONSTANT_STRING, CONSTANT_METHOD_TYPE, CONSTANT_MODULE, CONSTANT_PACKAGE ->
                    first[i] = in.readUnsignedShort();
                case CONSTANT_FIELDREF,
                        CONSTANT_METHODREF,
                        CONSTANT_INTERFACE_METHODREF,
                        CONSTANT_NAME_AND_TYPE,
                        CONSTANT_DYNAMIC,
                        CONSTANT_INVOKE_DYNAMIC -> {
                    first[i] = in.readUnsignedShort();
                    second[i] = in.readUnsignedShort();
                }
                case CONSTANT_METHOD_HANDLE -> {
                    first[i] = in.readUnsignedByte();
                    second[i] = in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
            }
        }
        in.readUnsignedShort(); // access
        in.readUnsignedShort(); // this class
        in.readUnsignedShort(); // super class
        in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
        int fields = in.readUnsignedShort();
        for (int i = 0; i < fields; i++) {
            in.skipNBytes(6);
            skipAttributes(in);
        }
        int methods = in.readUnsignedShort();
        for (int i = 0; i < methods; i++) {
            in.readUnsignedShort(); // access
            String name = utf8[in.readUnsignedShort()];
            in.readUnsignedShort(); // descriptor
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                String attribute = utf8[in.readUnsignedShort()];
                int length = in.readInt();
                if (name.equals(methodName) && attribute.equals("Code")) {
                    in.readUnsignedShort(); // max stack
                    in.readUnsignedShort(); // max locals
                    byte[] code = new byte[in.readInt()];
                    in.readFully(code);
                    codes.add(code);
                    in.skipNBytes(length - 8L - code.length);
                } else {
                    in.skipNBytes(length);
                }
            }
        }
    }

    /**
     * Every method that {@code type}'s method(s) named {@code methodName} call, in the order of their code.
     *
     * @throws IllegalArgumentException if {@code type} has no method of that name with code
     */
    static Set<Call> of(Class<?> type, String methodName) {
        String resource = type.getSimpleName() + ".class";
        try (InputStream stream = type.getResourceAsStream(resource)) {
            if (stream == null) {
                throw new IllegalArgumentException("no class file " + resource + " next to " + type.getName());
            }
            MethodCalls reader = new MethodCalls(new DataInputStream(stream), methodName);
            if (reader.codes.isEmpty()) {
                throw new IllegalArgumentException(type.getName() + " has no method " + methodName + " with code");
            }
            Set<Call> calls = new LinkedHashSet<>();
            for (byte[] code : reader.codes) {
                reader.collect(code, calls);
            }
            return calls;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private void collect(byte[] code, Set<Call> calls) {
        ByteBuffer buf = ByteBuffer.wrap(code);
        int pc = 0;
        while (pc < code.length) {
            int op = code[pc] & 0xff;
            if (op == INVOKEVIRTUAL || op == INVOKESPECIAL || op == INVOKESTATIC || op == INVOKEINTERFACE) {
                int ref = buf.getShort(pc + 1) & 0xffff;
                String owner = utf8[first[first[ref]]];
                int nameAndType = second[ref];
                calls.add(new Call(owner.replace('/', '.'), utf8[first[nameAndType]], utf8[second[nameAndType]]));
            }
            pc += length(buf, pc, op);
        }
    }

    /** The length of the instruction at {@code pc}, operands included. */
    private static int length(ByteBuffer code, int pc, int op) {
        if (op == TABLESWITCH || op == LOOKUPSWITCH) {
            int operands = (pc + 4) & ~3; // operands start at the next multiple of 4
            if (op == TABLESWITCH) {
                int low = code.getInt(operands + 4);
                int high = code.getInt(operands + 8);
                return operands - pc + 12 + 4 * (high - low + 1);
            }
            int pairs = code.getInt(operands + 4);
            return operands - pc + 8 + 8 * pairs;
        }
        if (op == WIDE) {
            return (code.get(pc + 1) & 0xff) == IINC ? 6 : 4;
        }
        int length = LENGTHS[op];
        if (length == 0) {
            throw new IllegalStateException("unknown opcode 0x" + Integer.toHexString(op) + " at " + pc);
        }
        return length;
    }

    /** Instruction lengths by opcode (0 = not an opcode, or one of variable length handled above). */
    private static final int[] LENGTHS = new int[256];

    static {
        fill(0x00, 0x0f, 1); // nop .. dconst_1
        LENGTHS[0x10] = 2; // bipush
        LENGTHS[0x11] = 3; // sipush
        LENGTHS[0x12] = 2; // ldc
        fill(0x13, 0x14, 3); // ldc_w, ldc2_w
        fill(0x15, 0x19, 2); // iload .. aload
        fill(0x1a, 0x35, 1); // iload_0 .. saload
        fill(0x36, 0x3a, 2); // istore .. astore
        fill(0x3b, 0x83, 1); // istore_0 .. lxor
        LENGTHS[IINC] = 3;
        fill(0x85, 0x98, 1); // i2l .. dcmpg
        fill(0x99, 0xa8, 3); // ifeq .. jsr
        LENGTHS[0xa9] = 2; // ret
        fill(0xac, 0xb1, 1); // ireturn .. return
        fill(0xb2, 0xb8, 3); // getstatic .. invokestatic
        fill(0xb9, 0xba, 5); // invokeinterface, invokedynamic
        LENGTHS[0xbb] = 3; // new
        LENGTHS[0xbc] = 2; // newarray
        LENGTHS[0xbd] = 3; // anewarray
        fill(0xbe, 0xbf, 1); // arraylength, athrow
        fill(0xc0, 0xc1, 3); // checkcast, instanceof
        fill(0xc2, 0xc3, 1); // monitorenter, monitorexit
        LENGTHS[0xc5] = 4; // multianewarray
        fill(0xc6, 0xc7, 3); // ifnull, ifnonnull
        fill(0xc8, 0xc9, 5); // goto_w, jsr_w
    }

    private static void fill(int from, int to, int length) {
        for (int op = from; op <= to; op++) {
            LENGTHS[op] = length;
        }
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int count = in.readUnsignedShort();
        for (int i = 0; i < count; i++) {
            in.readUnsignedShort();
            in.skipNBytes(in.readInt() & 0xffffffffL);
        }
    }
}
