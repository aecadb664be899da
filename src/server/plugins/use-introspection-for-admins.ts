/**
 * In production, introspection (`__schema`, `__type`) is for ADMIN tokens only: a CLIENT token gets
 * a FORBIDDEN validation error saying so, before anything executes. `__typename` stays open (every
 * GraphQL client asks for it). Outside production everyone may introspect (GraphiQL, codegen).
 *
 * The rule is a named function on purpose: Yoga caches validation results per set of rule names,
 * so an ADMIN's cached "valid" never answers a CLIENT's identical document.
 */
import { getNamedType, GraphQLError, isIntrospectionType, type ASTVisitor, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Principal } from '../../access';
import { principalOf } from './use-bearer-auth';

function IntrospectionForAdminsOnly(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      const type = getNamedType(context.getType());
      if (type && isIntrospectionType(type)) {
        context.reportError(new GraphQLError(`Introspection ("${node.name.value}") is for ADMIN tokens in production; the schema is documented in schema.graphql`, {
          nodes: node,
          extensions: { code: 'FORBIDDEN' },
        }));
        return false; // one error per introspection field, not one per nested field
      }
      return undefined;
    },
  };
}

export function useIntrospectionForAdmins(options: { production: boolean }): Plugin {
  return {
    onValidate({ addValidationRule, context }) {
      if (!options.production) return;
      const bag = context as { principal?: Principal; request?: Request };
      // graphql-ws (ws.ts) passes the principal in; HTTP requests carry it from the auth plugin.
      const principal = bag.principal ?? (bag.request ? principalOf(bag.request) : null);
      if (principal?.role !== 'ADMIN') addValidationRule(IntrospectionForAdminsOnly);
    },
  };
}
