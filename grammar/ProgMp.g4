// The ProgMp scheduler language; ../docs/language.md describes it for users.
//
// The grammar is deliberately a little wider than the language: the header is optional, a bare ';' is a
// statement, SET takes any expression as its register, a string may appear as an operand, and a
// scheduler may be named by a keyword. Each of those is turned into a precise diagnostic by the
// compiler instead of a generic "mismatched input" from the parser.
grammar ProgMp;

program
    : header? statement* EOF
    ;

header
    : SCHEDULER schedulerName SEMI
    ;

schedulerName
    : IDENT | keyword
    ;

statement
    : VAR IDENT ASSIGN expr SEMI                                    # varStatement
    | IF LPAREN expr RPAREN block elseClause?                       # ifStatement
    | FOREACH LPAREN VAR IDENT IN expr RPAREN block                 # foreachStatement
    | RETURN SEMI                                                   # returnStatement
    | DROP LPAREN expr RPAREN SEMI                                  # dropStatement
    | SET LPAREN expr COMMA expr RPAREN SEMI                        # setStatement
    | PRINT LPAREN STRING (COMMA expr)? RPAREN SEMI                 # printStatement
    | VOID LPAREN expr? RPAREN SEMI                                 # voidStatement
    | expr SEMI                                                     # expressionStatement
    | SEMI                                                          # emptyStatement
    ;

elseClause
    : ELSE IF LPAREN expr RPAREN block elseClause?                  # elseIfClause
    | ELSE block                                                    # elseBlockClause
    ;

block
    : LBRACE statement* RBRACE
    ;

// Precedence, lowest first: OR; AND; comparisons (one level); + -; * / %; unary; member access.
expr
    : expr DOT member=IDENT (LPAREN arguments? RPAREN)?             # memberExpr
    | op=(NOT | MINUS) expr                                         # unaryExpr
    | expr op=(STAR | SLASH | PERCENT) expr                         # multiplicativeExpr
    | expr op=(PLUS | MINUS) expr                                   # additiveExpr
    | expr op=(EQ | NE | LT | LE | GT | GE) expr                    # comparisonExpr
    | expr op=AND expr                                              # andExpr
    | expr op=OR expr                                               # orExpr
    | LPAREN expr RPAREN                                            # parenExpr
    | INT                                                           # intLiteral
    | (TRUE | FALSE)                                                # boolLiteral
    | NULL                                                          # nullLiteral
    | STRING                                                        # stringLiteral
    | IDENT                                                         # nameExpr
    ;

arguments
    : argument (COMMA argument)*
    ;

argument
    : IDENT ARROW expr                                              # lambdaArgument
    | expr                                                          # valueArgument
    ;

keyword
    : SCHEDULER | VAR | IF | ELSE | FOREACH | IN | RETURN | DROP | SET | PRINT | VOID | AND | OR
    | TRUE | FALSE | NULL
    ;

SCHEDULER : 'SCHEDULER' ;
VAR       : 'VAR' ;
IF        : 'IF' ;
ELSE      : 'ELSE' ;
FOREACH   : 'FOREACH' ;
IN        : 'IN' ;
RETURN    : 'RETURN' ;
DROP      : 'DROP' ;
SET       : 'SET' ;
PRINT     : 'PRINT' ;
VOID      : 'VOID' ;
AND       : 'AND' ;
OR        : 'OR' ;
TRUE      : 'TRUE' ;
FALSE     : 'FALSE' ;
NULL      : 'NULL' ;

ARROW   : '=>' ;
EQ      : '==' ;
NE      : '!=' ;
LE      : '<=' ;
GE      : '>=' ;
LT      : '<' ;
GT      : '>' ;
ASSIGN  : '=' ;
NOT     : '!' ;
PLUS    : '+' ;
MINUS   : '-' ;
STAR    : '*' ;
SLASH   : '/' ;
PERCENT : '%' ;
DOT     : '.' ;
COMMA   : ',' ;
SEMI    : ';' ;
LPAREN  : '(' ;
RPAREN  : ')' ;
LBRACE  : '{' ;
RBRACE  : '}' ;

IDENT : [A-Za-z_] [A-Za-z0-9_]* ;
INT   : [0-9]+ ;

STRING
    : '"' ( ~["\\\r\n] | '\\' ~[\r\n] )* '"'
    ;

// Error tokens: the compiler reports each with its position instead of letting the lexer print.
UNTERMINATED_STRING
    : '"' ( ~["\\\r\n] | '\\' ~[\r\n] )* '\\'?
    ;

BLOCK_COMMENT
    : '/*' .*? '*/' -> channel(HIDDEN)
    ;

UNTERMINATED_COMMENT
    : '/*' ( ~'*' | '*'+ ~[*/] )* '*'* EOF
    ;

LINE_COMMENT
    : '//' ~[\r\n]* -> channel(HIDDEN)
    ;

WS
    : [ \t\r\n\f\u000B\u00A0\uFEFF]+ -> channel(HIDDEN)
    ;

ERROR_CHAR
    : .
    ;
